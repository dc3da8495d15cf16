// Test classes run one after another: each starts its own app (SQLite file, Hangfire server),
// and Hangfire keeps some state in statics. Tests inside a class run in order anyway.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
