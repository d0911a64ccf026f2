// expect: MMS002
namespace F;

public static class C
{
    public static object Make() => new System.Lazy<object>();
}
