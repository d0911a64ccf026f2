// expect: RS0030 T:System.Collections.Hashtable
namespace F;

public static class C
{
    public static object? Find(uint key) => new System.Collections.Hashtable()[key];
}
