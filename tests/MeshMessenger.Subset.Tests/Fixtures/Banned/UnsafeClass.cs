// expect: RS0030 T:System.Runtime.CompilerServices.Unsafe
namespace F;

public static class C
{
    public static int Size() => System.Runtime.CompilerServices.Unsafe.SizeOf<long>();
}
