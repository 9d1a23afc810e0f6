# SPDX-License-Identifier: MIT
# dom0 toolstack (xl, xenstored, console backend): arrives with the domain-management issues.
