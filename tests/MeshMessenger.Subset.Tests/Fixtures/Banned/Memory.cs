// expect: RS0030 T:System.Memory`1
namespace F;

public static class C
{
    public static int Length(byte[] a) => new System.Memory<byte>(a).Length;
}
