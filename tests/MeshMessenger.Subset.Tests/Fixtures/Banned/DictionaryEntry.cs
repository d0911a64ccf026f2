// expect: RS0030 T:System.Collections.DictionaryEntry
namespace F;

public static class C
{
    public static object Key(System.Collections.DictionaryEntry e) => e.Key;
}
