// expect: RS0030 T:System.Text.Encoding
namespace F;

public static class C
{
    public static byte[] Bytes(string s) => System.Text.Encoding.UTF8.GetBytes(s);
}
