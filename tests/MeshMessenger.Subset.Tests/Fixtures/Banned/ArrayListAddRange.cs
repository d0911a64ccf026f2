// expect: RS0030 M:System.Collections.ArrayList.AddRange(System.Collections.ICollection)
namespace F;

public static class C
{
    public static void Add(System.Collections.ArrayList list, int[] items) => list.AddRange(items);
}
