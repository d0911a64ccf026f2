// expect: RS0030 M:System.Enum.IsDefined(System.Type,System.Object)
namespace F;

public static class C
{
    public static bool Known(int x) => System.Enum.IsDefined(typeof(System.DayOfWeek), x);
}
