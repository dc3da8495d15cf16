using Kuroco.Admin.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kuroco.Admin.Content;

/// <summary>The content APIs' problems as typed results, for handlers that return <c>Results&lt;…, ProblemHttpResult&gt;</c>.</summary>
internal static class ContentProblems
{
    /// <summary>
    /// <see cref="ApiProblems"/> and <see cref="ResultHttp"/> build every problem with <c>TypedResults.Problem</c> but
    /// declare <see cref="IResult"/>: this gives it back its type.
    /// </summary>
    public static ProblemHttpResult Typed(IResult problem) =>
        problem as ProblemHttpResult ?? throw new InvalidOperationException($"Expected a problem result, got {problem?.GetType().Name}.");
}
