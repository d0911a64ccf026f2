// expect: RS0030 N:System.Numerics
namespace F;

public static class C
{
    public static int Bits(uint x) => System.Numerics.BitOperations.PopCount(x);
}
