using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MeshMessenger.SubsetAnalyzers;

/// <summary>
/// Rejects the C# language features that nanoFramework 1.x cannot run (MMS001-MMS012). The API side of the
/// subset is enforced by Microsoft.CodeAnalysis.BannedApiAnalyzers with BannedSymbols.txt; this analyzer covers
/// what a banned-symbol list cannot see: syntax and compiler-generated uses of missing types.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SubsetSyntaxAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        SubsetRules.GenericDeclaration,
        SubsetRules.GenericUse,
        SubsetRules.Record,
        SubsetRules.Tuple,
        SubsetRules.Async,
        SubsetRules.NullableValueType,
        SubsetRules.MultidimensionalArray,
        SubsetRules.StackAlloc,
        SubsetRules.Unsafe,
        SubsetRules.QuerySyntax,
        SubsetRules.DefaultInterfaceMember,
        SubsetRules.Dynamic);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();

        context.RegisterSyntaxNodeAction(
            ReportTypeParameters,
            SyntaxKind.ClassDeclaration,
            SyntaxKind.StructDeclaration,
            SyntaxKind.InterfaceDeclaration,
            SyntaxKind.MethodDeclaration,
            SyntaxKind.DelegateDeclaration,
            SyntaxKind.LocalFunctionStatement);
        context.RegisterSyntaxNodeAction(c => Report(c, SubsetRules.GenericUse, c.Node, ((GenericNameSyntax)c.Node).Identifier.Text), SyntaxKind.GenericName);
        context.RegisterSyntaxNodeAction(ReportInferredGenericCall, SyntaxKind.InvocationExpression);
        context.RegisterSyntaxNodeAction(c => Report(c, SubsetRules.Record, c.Node), SyntaxKind.RecordDeclaration, SyntaxKind.RecordStructDeclaration);
        context.RegisterSyntaxNodeAction(
            c => Report(c, SubsetRules.Tuple, c.Node),
            SyntaxKind.TupleType,
            SyntaxKind.TupleExpression,
            SyntaxKind.ParenthesizedVariableDesignation);
        context.RegisterSyntaxNodeAction(c => Report(c, SubsetRules.Async, c.Node), SyntaxKind.AwaitExpression);
        context.RegisterSyntaxNodeAction(ReportAsyncModifier, SyntaxKind.MethodDeclaration, SyntaxKind.LocalFunctionStatement, SyntaxKind.ParenthesizedLambdaExpression, SyntaxKind.SimpleLambdaExpression, SyntaxKind.AnonymousMethodExpression);
        context.RegisterSyntaxNodeAction(ReportNullableValueType, SyntaxKind.NullableType);
        context.RegisterSyntaxNodeAction(ReportMultidimensionalArray, SyntaxKind.ArrayRankSpecifier);
        context.RegisterSyntaxNodeAction(c => Report(c, SubsetRules.StackAlloc, c.Node), SyntaxKind.StackAllocArrayCreationExpression, SyntaxKind.ImplicitStackAllocArrayCreationExpression);
        context.RegisterSyntaxNodeAction(
            c => Report(c, SubsetRules.Unsafe, c.Node),
            SyntaxKind.UnsafeStatement,
            SyntaxKind.FixedStatement,
            SyntaxKind.PointerType,
            SyntaxKind.FunctionPointerType,
            SyntaxKind.AddressOfExpression,
            SyntaxKind.PointerIndirectionExpression);
        context.RegisterSyntaxNodeAction(ReportUnsafeModifier, SyntaxKind.ClassDeclaration, SyntaxKind.StructDeclaration, SyntaxKind.MethodDeclaration, SyntaxKind.FieldDeclaration, SyntaxKind.LocalFunctionStatement);
        context.RegisterSyntaxNodeAction(c => Report(c, SubsetRules.QuerySyntax, c.Node), SyntaxKind.QueryExpression);
        context.RegisterSyntaxNodeAction(ReportDefaultInterfaceMember, SyntaxKind.MethodDeclaration, SyntaxKind.PropertyDeclaration);
        context.RegisterSyntaxNodeAction(ReportDynamic, SyntaxKind.IdentifierName);
    }

    private static void Report(SyntaxNodeAnalysisContext context, DiagnosticDescriptor rule, SyntaxNode node, string argument = "")
    {
        context.ReportDiagnostic(Diagnostic.Create(rule, node.GetLocation(), argument));
    }

    private static void ReportTypeParameters(SyntaxNodeAnalysisContext context)
    {
        TypeParameterListSyntax? list = context.Node switch
        {
            TypeDeclarationSyntax type => type.TypeParameterList,
            MethodDeclarationSyntax method => method.TypeParameterList,
            DelegateDeclarationSyntax del => del.TypeParameterList,
            LocalFunctionStatementSyntax local => local.TypeParameterList,
            _ => null,
        };
        if (list != null && list.Parameters.Count > 0)
        {
            Report(context, SubsetRules.GenericDeclaration, list, context.Node switch
            {
                TypeDeclarationSyntax type => type.Identifier.Text,
                MethodDeclarationSyntax method => method.Identifier.Text,
                DelegateDeclarationSyntax del => del.Identifier.Text,
                LocalFunctionStatementSyntax local => local.Identifier.Text,
                _ => "",
            });
        }
    }

    /// <summary>A generic method called without type arguments in the source (inferred) is still generic.</summary>
    private static void ReportInferredGenericCall(SyntaxNodeAnalysisContext context)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        ExpressionSyntax name = invocation.Expression is MemberAccessExpressionSyntax member ? member.Name : invocation.Expression;
        if (name is GenericNameSyntax)
        {
            return; // already reported as MMS002 on the generic name
        }

        if (context.SemanticModel.GetSymbolInfo(invocation, context.CancellationToken).Symbol is IMethodSymbol method && method.IsGenericMethod)
        {
            Report(context, SubsetRules.GenericUse, name, method.Name);
        }
    }

    private static void ReportAsyncModifier(SyntaxNodeAnalysisContext context)
    {
        SyntaxToken asyncKeyword = context.Node switch
        {
            MethodDeclarationSyntax method => Find(method.Modifiers, SyntaxKind.AsyncKeyword),
            LocalFunctionStatementSyntax local => Find(local.Modifiers, SyntaxKind.AsyncKeyword),
            AnonymousFunctionExpressionSyntax lambda => lambda.AsyncKeyword,
            _ => default,
        };
        if (asyncKeyword.IsKind(SyntaxKind.AsyncKeyword))
        {
            context.ReportDiagnostic(Diagnostic.Create(SubsetRules.Async, asyncKeyword.GetLocation()));
        }
    }

    private static void ReportUnsafeModifier(SyntaxNodeAnalysisContext context)
    {
        SyntaxTokenList modifiers = context.Node switch
        {
            MemberDeclarationSyntax member => member.Modifiers,
            LocalFunctionStatementSyntax local => local.Modifiers,
            _ => default,
        };
        SyntaxToken unsafeKeyword = Find(modifiers, SyntaxKind.UnsafeKeyword);
        if (unsafeKeyword.IsKind(SyntaxKind.UnsafeKeyword))
        {
            context.ReportDiagnostic(Diagnostic.Create(SubsetRules.Unsafe, unsafeKeyword.GetLocation()));
        }
    }

    /// <summary>`T?` is fine on reference types (annotations only); on value types it means Nullable&lt;T&gt;.</summary>
    private static void ReportNullableValueType(SyntaxNodeAnalysisContext context)
    {
        var nullable = (NullableTypeSyntax)context.Node;
        ITypeSymbol? element = context.SemanticModel.GetTypeInfo(nullable.ElementType, context.CancellationToken).Type;
        if (element != null && element.IsValueType)
        {
            Report(context, SubsetRules.NullableValueType, nullable, nullable.ToString());
        }
    }

    private static void ReportMultidimensionalArray(SyntaxNodeAnalysisContext context)
    {
        if (((ArrayRankSpecifierSyntax)context.Node).Rank > 1)
        {
            Report(context, SubsetRules.MultidimensionalArray, context.Node);
        }
    }

    private static void ReportDefaultInterfaceMember(SyntaxNodeAnalysisContext context)
    {
        if (context.Node.Parent is not InterfaceDeclarationSyntax)
        {
            return;
        }

        bool hasBody = context.Node switch
        {
            MethodDeclarationSyntax method => method.Body != null || method.ExpressionBody != null,
            PropertyDeclarationSyntax property => property.ExpressionBody != null
                || (property.AccessorList != null && property.AccessorList.Accessors.Any(a => a.Body != null || a.ExpressionBody != null)),
            _ => false,
        };
        if (hasBody)
        {
            string name = context.Node is MethodDeclarationSyntax m ? m.Identifier.Text : ((PropertyDeclarationSyntax)context.Node).Identifier.Text;
            Report(context, SubsetRules.DefaultInterfaceMember, context.Node, name);
        }
    }

    private static void ReportDynamic(SyntaxNodeAnalysisContext context)
    {
        var identifier = (IdentifierNameSyntax)context.Node;
        if (identifier.Identifier.Text == "dynamic"
            && context.SemanticModel.GetTypeInfo(identifier, context.CancellationToken).Type?.TypeKind == TypeKind.Dynamic)
        {
            Report(context, SubsetRules.Dynamic, identifier);
        }
    }

    private static SyntaxToken Find(SyntaxTokenList modifiers, SyntaxKind kind)
    {
        foreach (SyntaxToken token in modifiers)
        {
            if (token.IsKind(kind))
            {
                return token;
            }
        }

        return default;
    }
}
