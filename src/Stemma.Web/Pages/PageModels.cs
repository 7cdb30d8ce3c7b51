using Microsoft.AspNetCore.Antiforgery;
using Stemma.Storage;
using Stemma.Web.Services;

namespace Stemma.Web.Pages;

public sealed record StoriesModel(StoryPage Page, string? Query, string? Site, string Sort, int PageNumber, int PageSize)
{
    public int PageCount => Math.Max(1, (Page.TotalCount + PageSize - 1) / PageSize);

    public bool Filtered => !string.IsNullOrWhiteSpace(Query) || !string.IsNullOrWhiteSpace(Site);
}

/// <param name="Group">The document's family and story, when it has them.</param>
public sealed record DocumentModel(Article Article, GroupAssignment? Group);

/// <param name="Antiforgery">Tokens for the form; the post is refused without them.</param>
/// <param name="Text">What was pasted, to show it again.</param>
/// <param name="Result">The answer, after a post.</param>
/// <param name="Errors">Inputs that could not be read.</param>
public sealed record CheckModel(AntiforgeryTokenSet Antiforgery, string? Text, CheckResult? Result, IReadOnlyList<UploadError> Errors);

/// <param name="View">The two versions, the earlier one first.</param>
/// <param name="Order">Why the left one is taken as the earlier.</param>
public sealed record CompareModel(CompareView View, CompareOrder Order);
