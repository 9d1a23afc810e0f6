# SPDX-License-Identifier: MIT
# Host-side tests: Criterion unit tests of the real sources, and the ABI layout test.
include tests/abi/build.mk
include tests/unit/build.mk
