// expect: RS0030 T:System.Nullable`1
namespace F;

public static class C
{
    public static bool Has(System.Nullable<int> x) => x.HasValue;
}
