// expect: RS0030 T:System.ReadOnlySpan`1
namespace F;

public static class C
{
    public static int Length(byte[] a) => new System.ReadOnlySpan<byte>(a).Length;
}
