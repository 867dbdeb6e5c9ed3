/*
 * The workload kernels: compute-bound programs in the spirit of the automotive
 * subset of the common embedded suites (basic math, bit counting, sorting, an
 * image corner/edge filter), written for Baohu from scratch. Portable C, no
 * library: each kernel builds its own input, runs, and returns a checksum that
 * must be the same bare and under Baohu (main.c prints it).
 */
#include "workload.h"

/* xorshift32: the inputs' pseudo-random source (deterministic, seeded per kernel). */
static uint32_t rnd_state;
static void rnd_seed(uint32_t s) { rnd_state = s ? s : 0x9e3779b9u; }
static uint32_t rnd(void)
{
	uint32_t x = rnd_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	rnd_state = x;
	return x;
}

/* A double folded into the checksum at micro-unit precision. */
static uint64_t fold(uint64_t sum, double v)
{
	int64_t q = (int64_t)(v * 1e6);

	return sum * 31u + (uint64_t)q;
}

/* ---- basic math ----------------------------------------------------------- */

/* Integer square root, one result bit per step (the classic digit-by-digit method). */
static uint32_t isqrt32(uint32_t v)
{
	uint32_t root = 0, bit = 1u << 30;

	while (bit > v)
		bit >>= 2;
	while (bit) {
		if (v >= root + bit) {
			v -= root + bit;
			root = (root >> 1) + bit;
		} else {
			root >>= 1;
		}
		bit >>= 2;
	}
	return root;
}

/* One real root of a x^3 + b x^2 + c x + d by Newton's method from x0. */
static double cubic_root(double a, double b, double c, double d, double x)
{
	for (int i = 0; i < 40; i++) {
		double f = ((a * x + b) * x + c) * x + d;
		double df = (3.0 * a * x + 2.0 * b) * x + c;
		if (df > -1e-12 && df < 1e-12)
			break;
		double step = f / df;
		x -= step;
		if (step > -1e-10 && step < 1e-10)
			break;
	}
	return x;
}

#define PI 3.14159265358979323846

uint64_t kernel_basicmath(uint32_t n)
{
	uint64_t sum = 0;

	rnd_seed(0x1234567u);
	for (uint32_t i = 0; i < n; i++) {
		/* Integer polynomial (Horner, wrapping): 3x^5 - 7x^4 + 2x^3 + 11x^2 - 5x + 9. */
		uint32_t x = i * 2654435761u;
		uint32_t p = ((((3u * x - 7u) * x + 2u) * x + 11u) * x - 5u) * x + 9u;
		sum = sum * 31u + p;
		/* Float polynomial: a real root of a cubic with pseudo-random coefficients. */
		double a = 1.0 + (double)(rnd() % 1000) / 100.0;
		double b = (double)((int32_t)(rnd() % 2001) - 1000) / 50.0;
		double c = (double)((int32_t)(rnd() % 2001) - 1000) / 20.0;
		double d = (double)((int32_t)(rnd() % 2001) - 1000) / 10.0;
		sum = fold(sum, cubic_root(a, b, c, d, 10.0));
		/* Integer square roots. */
		sum = sum * 31u + isqrt32(rnd());
		sum = sum * 31u + isqrt32(i * i + i);
		/* Angle conversions: degrees -> radians -> degrees. */
		double deg = (double)(i % 3600) / 10.0;
		double rad = deg * (PI / 180.0);
		sum = fold(sum, rad);
		sum = fold(sum, rad * (180.0 / PI) - deg);
	}
	return sum;
}

/* ---- bit counting --------------------------------------------------------- */

static uint32_t words[BITCOUNT_MAX];
static uint8_t byte_bits[256];

static uint32_t bits_shift(uint32_t x)
{
	uint32_t n = 0;

	for (int i = 0; i < 32; i++, x >>= 1)
		n += x & 1u;
	return n;
}

static uint32_t bits_sparse(uint32_t x) /* one step per set bit */
{
	uint32_t n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

static uint32_t bits_nibble(uint32_t x) /* 16-entry table in a constant */
{
	static const uint8_t nib[16] = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};
	uint32_t n = 0;

	for (; x; x >>= 4)
		n += nib[x & 0xf];
	return n;
}

static uint32_t bits_bytes(uint32_t x) /* 256-entry table built at start */
{
	return (uint32_t)byte_bits[x & 0xff] + byte_bits[(x >> 8) & 0xff] +
	       byte_bits[(x >> 16) & 0xff] + byte_bits[x >> 24];
}

static uint32_t bits_swar(uint32_t x) /* parallel sums in the register */
{
	x = x - ((x >> 1) & 0x55555555u);
	x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
	x = (x + (x >> 4)) & 0x0f0f0f0fu;
	return (x * 0x01010101u) >> 24;
}

uint64_t kernel_bitcount(uint32_t n)
{
	uint64_t count[5] = {0, 0, 0, 0, 0};

	if (n > BITCOUNT_MAX)
		n = BITCOUNT_MAX;
	rnd_seed(0xbadc0deu);
	for (uint32_t i = 0; i < n; i++)
		words[i] = rnd() & (rnd() | (i & 1u ? 0u : ~0u)); /* denser and sparser words */
	for (uint32_t i = 0; i < 256; i++)
		byte_bits[i] = (uint8_t)bits_shift(i);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t w = words[i];
		count[0] += bits_shift(w);
		count[1] += bits_sparse(w);
		count[2] += bits_nibble(w);
		count[3] += bits_bytes(w);
		count[4] += bits_swar(w);
	}
	for (int m = 1; m < 5; m++)
		if (count[m] != count[0])
			return 0; /* the methods disagree: a wrong result, shown as checksum 0 */
	return count[0];
}

/* ---- quicksort ------------------------------------------------------------- */

static uint32_t keys[QSORT_MAX];

static void swap(uint32_t *a, uint32_t *b)
{
	uint32_t t = *a;

	*a = *b;
	*b = t;
}

/* Median-of-three Hoare quicksort, recursing into the smaller part (depth <= log2 n),
 * insertion sort below 16 elements. */
static void quicksort(uint32_t *a, int32_t lo, int32_t hi)
{
	while (hi - lo >= 16) {
		int32_t mid = lo + (hi - lo) / 2;
		if (a[mid] < a[lo])
			swap(&a[mid], &a[lo]);
		if (a[hi] < a[lo])
			swap(&a[hi], &a[lo]);
		if (a[hi] < a[mid])
			swap(&a[hi], &a[mid]);
		uint32_t pivot = a[mid];
		int32_t i = lo - 1, j = hi + 1;
		for (;;) {
			do
				i++;
			while (a[i] < pivot);
			do
				j--;
			while (a[j] > pivot);
			if (i >= j)
				break;
			swap(&a[i], &a[j]);
		}
		if (j - lo < hi - j) {
			quicksort(a, lo, j);
			lo = j + 1;
		} else {
			quicksort(a, j + 1, hi);
			hi = j;
		}
	}
	for (int32_t i = lo + 1; i <= hi; i++) {
		uint32_t v = a[i];
		int32_t j = i - 1;
		while (j >= lo && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

uint64_t kernel_qsort(uint32_t n)
{
	uint64_t sum = 0;

	if (n > QSORT_MAX)
		n = QSORT_MAX;
	rnd_seed(0x5eed5u);
	for (uint32_t i = 0; i < n; i++)
		keys[i] = rnd() % (n * 4u); /* with repeats */
	quicksort(keys, 0, (int32_t)n - 1);
	for (uint32_t i = 0; i < n; i++) {
		if (i && keys[i - 1] > keys[i])
			return 0; /* not sorted */
		sum = sum * 31u + keys[i];
	}
	return sum;
}

/* ---- image corner/edge filter --------------------------------------------- */

/*
 * A USAN-area filter (after the idea of SUSAN: the fewer pixels of a circular
 * neighbourhood look like its centre, the likelier the centre lies on an edge
 * or a corner). For each pixel, the similarity of each of the 37 pixels of a
 * radius-3 disc to the centre comes from a table indexed by the brightness
 * difference (100 inside the threshold, falling off with its square beyond);
 * an edge response is EDGE_G - area where the area is below EDGE_G, a corner
 * response CORNER_G - area below CORNER_G, kept only where it is the 3x3
 * maximum. The image is synthetic: a gradient with two rectangles, a disc
 * and a stripe of noise.
 */
#define USAN_T 20
#define USAN_MAX (37 * 100)
#define EDGE_G (USAN_MAX * 3 / 4)
#define CORNER_G (USAN_MAX / 2)

static uint8_t image[IMAGE_MAX * IMAGE_MAX];
static uint16_t corner_r[IMAGE_MAX * IMAGE_MAX];
static uint8_t similar[511];

static const int8_t disc[37][2] = {
	{-1, -3}, {0, -3}, {1, -3},
	{-2, -2}, {-1, -2}, {0, -2}, {1, -2}, {2, -2},
	{-3, -1}, {-2, -1}, {-1, -1}, {0, -1}, {1, -1}, {2, -1}, {3, -1},
	{-3, 0}, {-2, 0}, {-1, 0}, {0, 0}, {1, 0}, {2, 0}, {3, 0},
	{-3, 1}, {-2, 1}, {-1, 1}, {0, 1}, {1, 1}, {2, 1}, {3, 1},
	{-2, 2}, {-1, 2}, {0, 2}, {1, 2}, {2, 2},
	{-1, 3}, {0, 3}, {1, 3},
};

static void image_make(uint32_t w)
{
	rnd_seed(0x13579bdu);
	for (uint32_t y = 0; y < w; y++) {
		for (uint32_t x = 0; x < w; x++) {
			uint32_t v = 40 + (x + y) * 60 / (2 * w); /* gradient */
			if (x >= w / 8 && x < w / 2 && y >= w / 8 && y < w * 3 / 8)
				v = 200; /* rectangle */
			if (x >= w * 5 / 8 && x < w * 7 / 8 && y >= w / 4 && y < w * 3 / 4)
				v = 15; /* dark rectangle */
			int32_t dx = (int32_t)x - (int32_t)(w / 3), dy = (int32_t)y - (int32_t)(w * 3 / 4);
			if ((uint32_t)(dx * dx + dy * dy) < w * w / 49)
				v = 170; /* disc */
			if (y >= w * 7 / 8)
				v = (v + (rnd() & 63)) & 0xff; /* noisy stripe */
			image[y * w + x] = (uint8_t)v;
		}
	}
}

uint64_t kernel_image(uint32_t w)
{
	uint64_t sum = 0;
	uint32_t edges = 0, corners = 0;

	if (w > IMAGE_MAX)
		w = IMAGE_MAX;
	image_make(w);
	for (int d = -255; d <= 255; d++) {
		uint32_t a = (uint32_t)(d < 0 ? -d : d);
		similar[d + 255] = (uint8_t)(a <= USAN_T ? 100 : 100u * USAN_T * USAN_T / (a * a));
	}
	for (uint32_t i = 0; i < w * w; i++)
		corner_r[i] = 0;
	for (uint32_t y = 3; y + 3 < w; y++) {
		for (uint32_t x = 3; x + 3 < w; x++) {
			const uint8_t *c = &image[y * w + x];
			uint32_t area = 0;
			for (int k = 0; k < 37; k++)
				area += similar[255 + c[disc[k][1] * (int32_t)w + disc[k][0]] - *c];
			if (area < EDGE_G) {
				edges++;
				sum += EDGE_G - area;
			}
			if (area < CORNER_G)
				corner_r[y * w + x] = (uint16_t)(CORNER_G - area);
		}
	}
	for (uint32_t y = 4; y + 4 < w; y++) {
		for (uint32_t x = 4; x + 4 < w; x++) {
			uint16_t r = corner_r[y * w + x];
			int max = r != 0;
			for (int dy = -1; dy <= 1 && max; dy++)
				for (int dx = -1; dx <= 1; dx++)
					if ((dy || dx) && corner_r[(y + (uint32_t)dy) * w + x + (uint32_t)dx] > r) {
						max = 0;
						break;
					}
			if (max) {
				corners++;
				sum = sum * 31u + y * w + x;
			}
		}
	}
	return sum * 1000003u + edges * 1000u + corners;
}
