using BenchmarkDotNet.Running;
using Stemma.Bench;

// Modes besides BenchmarkDotNet: whole-corpus runs that report their own figures.
return args.FirstOrDefault() switch
{
    "extract-eval" => ExtractionEvaluation.Run(args[1..]),
    "extract-speed" => ExtractionSpeed.Run(args[1..]),
    "annotate-time" => AnnotateTimeRun.Run(args[1..]),
    "read-speed" => ReadSpeedRun.Run(args[1..]),
    "e2e" => EndToEndRun.Run(args[1..]),
    "real-families" => RealTextFamilies.Run(args[1..]),
    "relate-quality" => RelateQuality.Run(args[1..]),
    "relation-sweep" => RelationSweep.Run(args[1..]),
    "real-lineage" => RealTextLineage.Run(args[1..]),
    "semeval-fit" => SemEvalFit.Run(args[1..]),
    "real-stories" => RealStories.Run(args[1..]),
    "synonyms" => SynonymTableBuild.Run(args[1..]),
    "web-load" => WebLoadRun.Run(args[1..]),
    "store-compare" => StoreCompareRun.Run(args[1..]),
    "store-latency" => StoreLatencyRun.Run(args[1..]),
    "store-add" => StoreAddRun.Run(args[1..]),
    "cluster" => ClusterRun.Run(args[1..]),
    "fresh-memory" => FreshMemoryRun.Run(args[1..]),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(EndToEndRun).Assembly).Run(args);
    return 0;
}
