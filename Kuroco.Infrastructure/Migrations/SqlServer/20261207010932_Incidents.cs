using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Incidents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Incidents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Title = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    PublicTitle = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    PublicSummary = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    Step = table.Column<int>(type: "int", nullable: false),
                    Severity = table.Column<int>(type: "int", nullable: false),
                    Cause = table.Column<int>(type: "int", nullable: false),
                    Components = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    AffectedCustomers = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    DetectedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    DetectedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    PredictedRecoveryAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    PredictionSetAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    AlertId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    AlertRuleId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    AlertRuleName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    LastProgressReportAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ProgressOverdueSinceUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    OverdueMailedForUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    UpdatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Incidents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NoticeContacts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Email = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    Language = table.Column<string>(type: "nvarchar(8)", maxLength: 8, nullable: false),
                    TimeZoneId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Components = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Subscribed = table.Column<bool>(type: "bit", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NoticeContacts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "IncidentNotes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    IncidentId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    By = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    Text = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    IsPublic = table.Column<bool>(type: "bit", nullable: false),
                    Kind = table.Column<int>(type: "int", nullable: false),
                    WasOverdue = table.Column<bool>(type: "bit", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IncidentNotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IncidentNotes_Incidents_IncidentId",
                        column: x => x.IncidentId,
                        principalTable: "Incidents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "IncidentNotices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    IncidentId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Kind = table.Column<int>(type: "int", nullable: false),
                    SentAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    By = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    Recipients = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IncidentNotices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IncidentNotices_Incidents_IncidentId",
                        column: x => x.IncidentId,
                        principalTable: "Incidents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "IncidentTransitions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    IncidentId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Step = table.Column<int>(type: "int", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    By = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IncidentTransitions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IncidentTransitions_Incidents_IncidentId",
                        column: x => x.IncidentId,
                        principalTable: "Incidents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "NoticeUnsubscribeTokens",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ContactId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TokenHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    IssuedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UsedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NoticeUnsubscribeTokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_NoticeUnsubscribeTokens_NoticeContacts_ContactId",
                        column: x => x.ContactId,
                        principalTable: "NoticeContacts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_IncidentNotes_IncidentId_AtUtc",
                table: "IncidentNotes",
                columns: new[] { "IncidentId", "AtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_IncidentNotices_IncidentId",
                table: "IncidentNotices",
                column: "IncidentId");

            migrationBuilder.CreateIndex(
                name: "IX_Incidents_AlertId",
                table: "Incidents",
                column: "AlertId",
                unique: true,
                filter: "[AlertId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Incidents_Step_DetectedAtUtc",
                table: "Incidents",
                columns: new[] { "Step", "DetectedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_IncidentTransitions_IncidentId_Step",
                table: "IncidentTransitions",
                columns: new[] { "IncidentId", "Step" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_NoticeContacts_Email",
                table: "NoticeContacts",
                column: "Email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_NoticeUnsubscribeTokens_ContactId",
                table: "NoticeUnsubscribeTokens",
                column: "ContactId");

            migrationBuilder.CreateIndex(
                name: "IX_NoticeUnsubscribeTokens_TokenHash",
                table: "NoticeUnsubscribeTokens",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IncidentNotes");

            migrationBuilder.DropTable(
                name: "IncidentNotices");

            migrationBuilder.DropTable(
                name: "IncidentTransitions");

            migrationBuilder.DropTable(
                name: "NoticeUnsubscribeTokens");

            migrationBuilder.DropTable(
                name: "Incidents");

            migrationBuilder.DropTable(
                name: "NoticeContacts");
        }
    }
}
