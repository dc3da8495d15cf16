using BenchmarkDotNet.Running;
using Kuroco.Bench;

// dotnet run -c Release --project bench/Kuroco.Bench -- hashing            (BenchmarkDotNet)
// dotnet run -c Release --project bench/Kuroco.Bench -- signin URL EMAIL PASSWORD [CONCURRENCY] [SECONDS]
// dotnet run -c Release --project bench/Kuroco.Bench -- seed-delivery DATA_FOLDER [ITEMS] [PARALLEL] | seed-delivery-members DATA_FOLDER [ITEMS] [PARALLEL]  (used by bench/delivery.sh)
// dotnet run -c Release --project bench/Kuroco.Bench -- --filter '*DeliveryReader*'  (BenchmarkDotNet: the delivery reads, EF against hand-written SQL)
// dotnet run -c Release --project bench/Kuroco.Bench -- listplans          (query plans of the console item list)
// dotnet run -c Release --project bench/Kuroco.Bench -- memberplans        (timings and query plans of the console member list)
// dotnet run -c Release --project bench/Kuroco.Bench -- memberimport [ROWS] [shift_jis|utf-8]  (CSV import and export at 100,000 rows)
// dotnet run -c Release --project bench/Kuroco.Bench -- seed-members DATA_FOLDER [MEMBERS] | member-signin URL API_KEY [MEMBERS] [CONCURRENCY] [SECONDS] | member-hash [COUNT]
//   (used by bench/member-signin.sh)
// dotnet run -c Release --project bench/Kuroco.Bench -- serverlogs [ENTRIES]  (server-log store and writer: entries/s, caller cost with a slow store)
if (args.Length > 0 && args[0] == "serverlogs")
{
    return await ServerLogLoad.RunAsync(args[1..]);
}
// dotnet run -c Release --project bench/Kuroco.Bench -- auditreview [ENTRIES]  (the monthly audit review job over a month of 500,000 entries)
if (args.Length > 0 && args[0] == "auditreview")
{
    return await AuditReviewLoad.RunAsync(args[1..]);
}
// dotnet run -c Release --project bench/Kuroco.Bench -- auditverify [ENTRIES]  ("Verify now" entries/s, default 1,000,000)
if (args.Length > 0 && args[0] == "auditverify")
{
    return await AuditVerifyLoad.RunAsync(args[1..]);
}
if (args.Length > 0 && args[0] == "listplans")
{
    return await ContentListPlans.RunAsync();
}
if (args.Length > 0 && args[0] == "memberplans")
{
    return await MemberListPlans.RunAsync();
}
if (args.Length > 0 && args[0] == "memberimport")
{
    return await MemberImportLoad.RunAsync(args[1..]);
}
if (args.Length > 0 && args[0] == "signin")
{
    return await SignInLoad.RunAsync(args[1..]);
}
if (args.Length > 0 && args[0] == "seed-members")
{
    return await MemberSignInLoad.SeedAsync(args[1..]);
}
if (args.Length > 0 && args[0] == "member-signin")
{
    return await MemberSignInLoad.RunAsync(args[1..]);
}
if (args.Length > 0 && args[0] == "member-hash")
{
    return await MemberSignInLoad.HashCostAsync(args[1..]);
}
// dotnet run -c Release --project bench/Kuroco.Bench -- auditsearch [ENTRIES]  (audit search, export and append at 5,000,000 entries)
if (args.Length > 0 && args[0] == "auditsearch")
{
    return await AuditSearchLoad.RunAsync(args[1..]);
}
// dotnet run -c Release --project bench/Kuroco.Bench -- backup [SIZE_MB]  (backup and restore MB/s beside cp + fsync, writer stall; default 1024)
if (args.Length > 0 && args[0] == "backup")
{
    return await BackupLoad.RunAsync(args[1..]);
}
// dotnet run -c Release --project bench/Kuroco.Bench -- monitoring [ROUNDS] [RULES]  (sampler CPU per round, % of one core at 15 s)
if (args.Length > 0 && args[0] == "monitoring")
{
    return await MonitoringLoad.RunAsync(args[1..]);
}
// dotnet run -c Release --project bench/Kuroco.Bench -- sla  (SLA month from 13 months of samples: each month's wall and CPU, target < 200 ms)
if (args.Length > 0 && args[0] == "sla")
{
    return await SlaLoad.RunAsync(args[1..]);
}
if (args.Length > 0 && args[0] == "seed-delivery-members")
{
    return await DeliverySeed.RunMembersAsync(args[1..]);
}
if (args.Length > 0 && args[0] == "seed-delivery")
{
    return await DeliverySeed.RunAsync(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(PasswordHashingBenchmarks).Assembly).Run(args.Length > 0 && args[0] == "hashing"
    ? ["--filter", "*PasswordHashing*"]
    : args);
return 0;
