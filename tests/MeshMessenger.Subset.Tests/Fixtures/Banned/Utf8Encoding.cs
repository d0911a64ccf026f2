// expect: RS0030 T:System.Text.UTF8Encoding
namespace F;

public static class C
{
    public static string Text(byte[] b) => new System.Text.UTF8Encoding(false, true).GetString(b);
}
