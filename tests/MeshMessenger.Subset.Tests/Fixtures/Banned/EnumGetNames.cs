// expect: RS0030 M:System.Enum.GetNames(System.Type)
namespace F;

public static class C
{
    public static int Count() => System.Enum.GetNames(typeof(System.DayOfWeek)).Length;
}
