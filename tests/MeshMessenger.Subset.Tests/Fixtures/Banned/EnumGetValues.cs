// expect: RS0030 M:System.Enum.GetValues(System.Type)
namespace F;

public static class C
{
    public static int Count() => System.Enum.GetValues(typeof(System.DayOfWeek)).Length;
}
