// expect: RS0030 M:System.Math.BigMul(System.UInt64,System.UInt64,System.UInt64@)
namespace F;

public static class C
{
    public static ulong High(ulong a, ulong b) => System.Math.BigMul(a, b, out _);
}
