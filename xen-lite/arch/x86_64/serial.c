/* SPDX-License-Identifier: MIT */
/* 16550 UART driver for the hypervisor console (COM1 by default). */
#include <stdint.h>
#include <asm/io.h>
#include <console.h>

#define UART_THR 0 /* transmit holding (DLAB=0) */
#define UART_RBR 0 /* receive buffer (DLAB=0) */
#define UART_DLL 0 /* divisor low (DLAB=1) */
#define UART_IER 1
#define UART_DLM 1 /* divisor high (DLAB=1) */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DR   0x01 /* data ready */
#define LSR_THRE 0x20 /* transmit holding register empty */

static uint16_t uart;

void serial_init(unsigned int port_base)
{
    uart = (uint16_t)port_base;
    outb(uart + UART_IER, 0x00);
    outb(uart + UART_LCR, 0x80); /* DLAB on: divisor 1 = 115200 baud */
    outb(uart + UART_DLL, 0x01);
    outb(uart + UART_DLM, 0x00);
    outb(uart + UART_LCR, 0x03); /* 8N1 */
    outb(uart + UART_FCR, 0xC7); /* FIFOs on and cleared */
    outb(uart + UART_MCR, 0x0B); /* DTR, RTS, OUT2 */
}

void serial_putc(char c)
{
    if (!uart)
        return;
    for (int spin = 0; spin < 100000 && !(inb(uart + UART_LSR) & LSR_THRE); spin++)
        ;
    outb(uart + UART_THR, (uint8_t)c);
}

unsigned int serial_base(void)
{
    return uart;
}

/* Received-data interrupts (OUT2, which gates the line on PCs, is already on). */
void serial_enable_rx_irq(void)
{
    if (uart)
        outb(uart + UART_IER, 0x01);
}

int serial_getc(void)
{
    if (!uart || !(inb(uart + UART_LSR) & LSR_DR))
        return -1;
    return inb(uart + UART_RBR);
}
