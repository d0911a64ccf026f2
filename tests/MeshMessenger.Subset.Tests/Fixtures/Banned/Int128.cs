// expect: RS0030 T:System.Int128
namespace F;

public static class C
{
    public static long Low(long a, long b) => (long)((System.Int128)a * b);
}
