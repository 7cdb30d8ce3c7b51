namespace Stemma.Lineage;

/// <summary>
/// How sure a lineage edge is, read from one table: for each pair of what told the edge's direction and what picked its
/// parent among the candidates (a <see cref="Cell"/>), the fraction of parents found right on generated ground truth.
/// The fitted values come from `dotnet run -c Release --project bench/Stemma.Bench -- real-lineage --mixed --fit`
/// (real article bodies with generated copies, copies of copies, dated and undated members; see docs/relate.md), which
/// prints this table; a cell the bench never produced (a credit line: the bench's copies credit nobody) keeps the reasoned
/// value the builder passes in.
/// </summary>
public sealed record LineageConfidence
{
    /// <summary>The child credits the parent's site.</summary>
    public const string ByCredit = "credit";

    /// <summary>The parent was published before the child.</summary>
    public const string ByDate = "date-order";

    /// <summary>The child is a part of the parent.</summary>
    public const string ByExcerpt = "excerpt";

    /// <summary>The child adds inserted lines the parent lacks.</summary>
    public const string ByAddedLines = "added-lines";

    /// <summary>Where the two differ, the rest of the family keeps the parent's text.</summary>
    public const string ByFamilyMajority = "family-majority";

    /// <summary>Nothing tells which came first.</summary>
    public const string ByNothing = "unknown";

    /// <summary>The only candidate (or the only copy-family relative among them).</summary>
    public const string Only = "only";

    /// <summary>The child carries the parent's inserted line or changed figure that the runner-up lacks.</summary>
    public const string Inherited = "inherited";

    /// <summary>The parent explains the child's words clearly better than the runner-up (by at least <see cref="ClearMargin"/>).</summary>
    public const string Clear = "clear";

    /// <summary>The parent explains the child's words better than the runner-up, by less than <see cref="ClearMargin"/>.</summary>
    public const string Narrow = "narrow";

    /// <summary>Other candidates explain the child equally well: the parent is a tie-break.</summary>
    public const string Tie = "tie";

    /// <summary>The two were never aligned (a large family reads only the pairs found before): the parent is the closest earlier member by shared trigrams.</summary>
    public const string Estimated = "estimated";

    /// <summary>The cell of a direction kind and a choice kind: "date-order/clear".</summary>
    public static string Cell(string direction, string choice) => direction + "/" + choice;

    /// <summary>The margin (IDF-weighted words left unexplained) from which a parent explains the child clearly better than the runner-up.</summary>
    public double ClearMargin { get; init; } = 4;

    /// <summary>The observed fraction of right parents per <see cref="Cell"/>.</summary>
    public IReadOnlyDictionary<string, double> Cells { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>The fitted value of the cell, or <paramref name="reasoned"/> when the fit never saw it.</summary>
    public double Of(string direction, string choice, double reasoned) =>
        Cells.TryGetValue(Cell(direction, choice), out var fitted) ? fitted : reasoned;

    /// <summary>Reasoned values only (no fitted cells): each cell's confidence is the builder's reasoned product.</summary>
    public static LineageConfidence Reasoned { get; } = new();

    /// <summary>
    /// Fitted on `real-lineage ../shared/extraction-dev --mixed --fit` (seed 2027, 730 copies, both input orders pooled:
    /// 1,397 edges; (right + 1) / (edges + 2) per cell with at least 8 edges), checked on seed 2028 (docs/benchmarks.md).
    /// Cells of unknown direction are not fitted: nothing in the texts tells which came first, so they stay the reasoned
    /// coin flip (one half times the choice). A tie-break's cell is the observed rate of the tie-break (the earliest,
    /// undated or first listed member), which is right more often than 1/k because copies of the original are commoner
    /// than copies of copies.
    /// </summary>
    public static LineageConfidence Default { get; } = new()
    {
        Cells = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["added-lines/clear"] = 0.85,
            ["added-lines/inherited"] = 0.974,
            ["added-lines/narrow"] = 0.964,
            ["added-lines/only"] = 0.929,
            ["added-lines/tie"] = 0.74,
            ["date-order/clear"] = 0.853,
            ["date-order/inherited"] = 0.878,
            ["date-order/narrow"] = 0.227,
            ["date-order/tie"] = 0.52,
            ["excerpt/clear"] = 0.841,
            ["excerpt/inherited"] = 0.95,
            ["excerpt/narrow"] = 0.85,
            ["excerpt/only"] = 0.955,
            ["excerpt/tie"] = 0.859,
            ["family-majority/clear"] = 0.913,
            ["family-majority/inherited"] = 0.924,
            ["family-majority/narrow"] = 0.949,
            ["family-majority/only"] = 0.946,
            ["family-majority/tie"] = 0.743,
        },
    };
}
