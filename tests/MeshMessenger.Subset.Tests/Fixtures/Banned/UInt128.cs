// expect: RS0030 T:System.UInt128
namespace F;

public static class C
{
    public static ulong Low(ulong a, ulong b) => (ulong)((System.UInt128)a * b);
}
