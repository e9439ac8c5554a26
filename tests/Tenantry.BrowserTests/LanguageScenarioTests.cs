using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Tenantry.BrowserTests.ConsoleSteps;

namespace Tenantry.BrowserTests;

/// <summary>Scenario 6: the Japanese console shows Japanese labels and enum labels, from the browser's language or the picker.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class LanguageScenarioTests(ConsoleServer server)
{
    [Fact]
    public async Task A_japanese_browser_gets_the_japanese_console_with_japanese_enum_labels()
    {
        var page = await server.NewPageAsync("ja-JP");
        await page.GotoAsync("/console/sign-up");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("新規登録");
        await AssertAccessibleAsync(page);
        await page.GetByLabel("表示名").FillAsync("山田 花子");
        await page.GetByLabel("メールアドレス").FillAsync(NewEmail("hanako"));
        await page.GetByLabel("パスワード").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "アカウントを作成" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("マイワークスペース");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "ワークスペース名" }).FillAsync("東京チーム");
        await ChooseAsync(page.GetByRole(AriaRole.Combobox, new() { Name = "種類" }), "サンドボックス");
        await page.GetByRole(AriaRole.Button, new() { Name = "ワークスペースを作成" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("東京チーム");
        // Enum labels: the member's status and how they joined, the workspace's kind.
        var me = page.Locator("tbody tr").First;
        await Expect(me).ToContainTextAsync("有効");
        await Expect(me).ToContainTextAsync("作成");
        await Expect(page.Locator(".meta")).ToContainTextAsync("サンドボックス");

        await page.GotoAsync("/console");
        await Expect(page.Locator("tbody tr").First).ToContainTextAsync("サンドボックス");
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "my-workspaces-ja");

        // The picker overrides the browser: English, then back.
        await ChooseAsync(page.GetByRole(AriaRole.Combobox, new() { Name = "言語" }), "English");
        await page.GetByRole(AriaRole.Button, new() { Name = "適用" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("My workspaces");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
    }
}
