// expect: RS0030 T:System.Math
namespace F;

public static class C
{
    public static int Smaller(int a, int b) => System.Math.Min(a, b);
}
