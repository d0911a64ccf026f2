// expect: RS0030 T:System.DateTimeOffset
namespace F;

public static class C
{
    public static long Now() => System.DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
