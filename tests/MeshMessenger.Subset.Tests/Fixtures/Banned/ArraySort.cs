// expect: RS0030 M:System.Array.Sort(System.Array)
namespace F;

public static class C
{
    public static void Order(System.Array a) => System.Array.Sort(a);
}
