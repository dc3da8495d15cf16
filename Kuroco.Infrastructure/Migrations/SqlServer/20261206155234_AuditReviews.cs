using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AuditReviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditReviews",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Month = table.Column<string>(type: "nchar(7)", fixedLength: true, maxLength: 7, nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false),
                    State = table.Column<int>(type: "int", nullable: false),
                    TimeZoneId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    PeriodStartUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    PeriodEndUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    FirstSequence = table.Column<long>(type: "bigint", nullable: true),
                    LastSequence = table.Column<long>(type: "bigint", nullable: true),
                    EntryCount = table.Column<long>(type: "bigint", nullable: false),
                    Totals = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    RequestedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    PreparedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    SignedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    SignedById = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    SignedByName = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    SignOffSequence = table.Column<long>(type: "bigint", nullable: true),
                    SignOffHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    LastReminderAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ReminderCount = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditReviews", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditReviewSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    FailedSignInThreshold = table.Column<int>(type: "int", nullable: false),
                    FailedSignInWindowMinutes = table.Column<int>(type: "int", nullable: false),
                    NewAddressLookbackDays = table.Column<int>(type: "int", nullable: false),
                    DeletionThreshold = table.Column<int>(type: "int", nullable: false),
                    DeletionWindowMinutes = table.Column<int>(type: "int", nullable: false),
                    BusinessStartMinutes = table.Column<int>(type: "int", nullable: false),
                    BusinessEndMinutes = table.Column<int>(type: "int", nullable: false),
                    BusinessDays = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    OverdueDays = table.Column<int>(type: "int", nullable: false),
                    TimeZoneId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditReviewSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditReviewFindings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ReviewId = table.Column<int>(type: "int", nullable: false),
                    Kind = table.Column<int>(type: "int", nullable: false),
                    Subject = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    Detail = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    EntryCount = table.Column<int>(type: "int", nullable: false),
                    FirstAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    LastAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Sequences = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Actions = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    Decision = table.Column<int>(type: "int", nullable: false),
                    Comment = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    DecidedById = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    DecidedByName = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    DecidedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditReviewFindings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AuditReviewFindings_AuditReviews_ReviewId",
                        column: x => x.ReviewId,
                        principalTable: "AuditReviews",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditReviewFindings_ReviewId",
                table: "AuditReviewFindings",
                column: "ReviewId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditReviews_Month_Version",
                table: "AuditReviews",
                columns: new[] { "Month", "Version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditReviewFindings");

            migrationBuilder.DropTable(
                name: "AuditReviewSettings");

            migrationBuilder.DropTable(
                name: "AuditReviews");
        }
    }
}
