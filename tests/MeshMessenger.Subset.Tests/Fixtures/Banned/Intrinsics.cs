// expect: RS0030 N:System.Runtime.Intrinsics
namespace F;

public static class C
{
    public static bool Fast() => System.Runtime.Intrinsics.X86.Sse2.IsSupported;
}
