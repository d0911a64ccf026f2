// expect: MMS002
namespace F;

public static class C
{
    public static string Swap(ref string a, string b) => System.Threading.Interlocked.Exchange(ref a, b);
}
