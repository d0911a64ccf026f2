// expect: RS0030 M:System.Array.Empty``1
namespace F;

public static class C
{
    public static int[] None() => System.Array.Empty<int>();
}
