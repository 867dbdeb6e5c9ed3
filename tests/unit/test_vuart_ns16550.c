#define VUART_NS16550 1
#include "test_vuart.c"
