// expect: RS0030 N:System.Reflection.Emit
namespace F;

public static class C
{
    public static object Define() => System.Reflection.Emit.AssemblyBuilder.DefineDynamicAssembly(new System.Reflection.AssemblyName("x"), System.Reflection.Emit.AssemblyBuilderAccess.Run);
}
