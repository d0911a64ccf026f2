// expect: RS0030 M:System.String.Replace(System.String,System.String)
namespace F;

public static class C
{
    public static string Strip(string s) => s.Replace("\0", string.Empty);
}
