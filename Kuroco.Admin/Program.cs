using Kuroco.Admin;
using Kuroco.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.Services
    .AddInfrastructure(builder.Configuration, builder.Environment.ContentRootPath)
    .AddAdmin(builder.Configuration, builder.Environment);

var app = builder.Build();

await app.InitializeKurocoAsync();
app.UseAdmin();
await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
