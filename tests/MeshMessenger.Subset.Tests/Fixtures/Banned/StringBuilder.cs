// expect: RS0030 T:System.Text.StringBuilder
namespace F;

public static class C
{
    public static string Make() => new System.Text.StringBuilder().Append('a').ToString();
}
