using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AuditRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditRetention",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    RetentionMonths = table.Column<int>(type: "int", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    UpdatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    CheckpointSequence = table.Column<long>(type: "bigint", nullable: true),
                    CheckpointHash = table.Column<string>(type: "nchar(64)", fixedLength: true, maxLength: 64, nullable: true),
                    CheckpointPurgedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LastPurgeAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LastPurgeCutoffUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LastPurgeCount = table.Column<long>(type: "bigint", nullable: false),
                    LastPurgeOutcome = table.Column<int>(type: "int", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditRetention", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditVerificationRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Status = table.Column<int>(type: "int", nullable: false),
                    RequestedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    RequestedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    FinishedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    UpdatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    TotalEntries = table.Column<long>(type: "bigint", nullable: false),
                    CheckedEntries = table.Column<long>(type: "bigint", nullable: false),
                    Problem = table.Column<int>(type: "int", nullable: false),
                    FirstBrokenSequence = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditVerificationRuns", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditVerificationRuns_RequestedAtUtc",
                table: "AuditVerificationRuns",
                column: "RequestedAtUtc");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditRetention");

            migrationBuilder.DropTable(
                name: "AuditVerificationRuns");
        }
    }
}
