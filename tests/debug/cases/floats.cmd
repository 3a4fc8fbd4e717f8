# lde debug @PROGRAMS@/floats
# Floating-point values as gdb prints them, in a program built by lde cc
# (soft-float RV32IM, tests/debug/programs/floats.c): float with 9
# significant digits, double with 17, long double (binary128) with 36;
# inf, -inf, nan(0x...); arguments, locals and return values in integer
# registers; p/f, x/f; C expressions with floating operands; runs of
# equal elements as <repeats N times>.
b average
c
info args
finish
b scale if by > 10.5 && x < 0.2f
c
info args
finish
n
info locals
display avg
display/f bits32
display/x f
n
undisplay
# Globals: float, double, long double, arrays, a struct, a pointer.
p ratio
p tenth
p precise
p samples
p *cursor
p cursor[1]
p &best.mean
p best
p specials
p fspecials
p extremes
p histogram
p runs
# Formats: x z d t on a floating value are its bits; c casts it; f
# reads an integer's bits as the float of its size (none for 2 bytes).
p/x ratio
p/z tenth
p/x precise
p/d ratio
p/t ratio
p/c samples[4]
p/x samples
p/f bits32
p/f bits64
p/f small
p/f runs
p/f best
# Expressions: literals, + - * /, comparisons, casts, C's conversions.
p 1.5
p 2.0f
p 0.1f
p .5 + 1
p 1e3
p 0x1p-2
p tenth * 3
p ratio * 2
p ratio + tenth
p 1.0 / 3
p 10 / 4.0
p 7 / 2
p 1.0 / 0
p -1.0 / 0
p 0.0 / 0
p -tenth
p !tenth
p tenth < ratio
p tenth == 0.1
p specials[2] == specials[2]
p specials[2] != specials[2]
p specials[4] == 0 && !specials[4]
p (int)best.mean
p (int)-2.9
p (unsigned char)300.5
p (double)best.id
p (float)tenth
p (double)ratio
p (long double)tenth
p (double)precise
p (float)bits64
whatis 1.5
whatis 2.0f
whatis ratio + tenth
whatis ratio * 2
whatis best.id * 1.0f
ptype best
p sizeof(double)
p sizeof(long double)
p sizeof 1.5f
# x: f with unit w is a float, g a double; b and h have no floating type.
x/2f &tenth
x/2fg &samples
x
x/3fw &fspecials
x/4fb &ratio
x/2xg &samples
x/2dg &bits64
# Assignment converts, as C does.
set var tenth = 2
p tenth
set var ratio = 1.0 / 3
p ratio
set var best.id = 2.9
p best.id
set var precise = 0.5
p precise
set var samples[5] = -samples[4]
p samples[5]
# Errors: one line each.
p precise + 1
p 1.5L
p ratio % 2
p ratio << 1
p runs[1.5]
p ~tenth
p cursor + 1.0
p (double *)tenth
p 1.5.2
# A condition on floating values that does not hold: the program ends.
b checksum if f > 2
c
