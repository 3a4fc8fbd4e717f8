/*
 * floats.c: floating-point values for lde debug to show (tests/debug/
 * cases/floats.cmd), built by `lde cc` as a student builds a program:
 * soft-float RV32IM (ilp32), so float, double and long double are 4, 8
 * and 16 bytes in integer registers and memory, computed by libgcc.
 *
 * OSTEP's homework shape: gettimeofday deltas averaged into a double.
 * Around it: float, double and long double globals, a struct with a
 * double member, an array of doubles and a pointer into it, infinities,
 * NaNs, a negative zero, subnormals, a mostly zero array (gdb's
 * <repeats N times>), and integers whose bits are floats (p/f).
 */
#include <stdio.h>
#include <sys/time.h>

struct sample {
    int id;
    double mean;
    float weight;
};

float ratio = 0.1f;
double tenth = 0.1;
long double precise = 0.1L;
double samples[6] = {1.5, 2.25, -0.125, 1e-7, 123456789.0, 0.0};
double *cursor = &samples[2];
struct sample best = {3, 2.5, 0.75f};
double specials[5] = {__builtin_inf(), -__builtin_inf(), __builtin_nan(""),
                      -__builtin_nan("0x12345"), -0.0};
float fspecials[3] = {__builtin_inff(), __builtin_nanf(""), 1e-45f};
double extremes[3] = {1.7976931348623157e308, 2.2250738585072014e-308, 5e-324};
double histogram[40];
int runs[24] = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 1,
                2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0};
int bits32 = 0x3fc00000;                 /* p/f: 1.5 */
long long bits64 = 0x400921fb54442d18LL; /* p/f: pi */
short small = 7;                         /* p/f: no 2-byte float: 7 */

__attribute__((noinline)) static double average(const long *d, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += d[i];
    double avg = sum / n;
    return avg;
}

__attribute__((noinline)) static float scale(float x, double by)
{
    float r = (float)(x * by);
    return r;
}

/* Every global, used: the linker keeps only what is. */
static int checksum(float f)
{
    double s = tenth + (double)precise + *cursor + best.weight + f;
    for (int i = 0; i < 6; i++)
        s += samples[i];
    for (int i = 0; i < 5; i++)
        s += specials[i] == specials[i] && specials[i] - specials[i] == 0;
    for (int i = 0; i < 3; i++)
        s += extremes[i] > 0 && fspecials[i] == fspecials[i];
    for (int i = 0; i < 24; i++)
        s += runs[i];
    return (int)s + bits32 % 7 + (int)(bits64 % 5) + small;
}

int main(void)
{
    struct timeval t0, t1;
    long deltas[5];
    for (int i = 0; i < 5; i++) {
        gettimeofday(&t0, NULL);
        gettimeofday(&t1, NULL);
        deltas[i] =
            (t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_usec - t0.tv_usec);
    }
    double avg = average(deltas, 5);
    best.mean = avg;
    histogram[(int)avg] += 1;
    float f = scale(ratio, avg);
    printf("average %d.%03d us, checksum %d\n", (int)avg,
           (int)(avg * 1000) % 1000, checksum(f));
    return 0;
}
