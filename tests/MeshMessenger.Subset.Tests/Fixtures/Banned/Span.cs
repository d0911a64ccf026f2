// expect: RS0030 T:System.Span`1
namespace F;

public static class C
{
    public static int Length(byte[] a) => new System.Span<byte>(a).Length;
}
