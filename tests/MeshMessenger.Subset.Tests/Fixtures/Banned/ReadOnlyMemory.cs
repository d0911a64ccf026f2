// expect: RS0030 T:System.ReadOnlyMemory`1
namespace F;

public static class C
{
    public static int Length(byte[] a) => new System.ReadOnlyMemory<byte>(a).Length;
}
