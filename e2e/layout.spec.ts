/**
 * The page as a new user meets it: on a laptop screen one click
 * shows its answer and its waterfall beside the controls, with no scroll; on
 * a phone the page brings the answer into view itself. The keyboard still
 * reaches the controls, then the result, then the waterfall.
 */
import { expect, test, type DemoPage } from './fixtures.ts';

/** Clicks GET /items/{id} as it is shown (the button must already be on screen: no scroll by the test). */
async function clickGetItem(demo: DemoPage) {
  const button = demo.page.getByTestId('item-button');
  await expect(button).toBeInViewport({ ratio: 1 });
  return demo.getItem('5', 'somequery');
}

for (const viewport of [
  { width: 1366, height: 768 },
  { width: 1280, height: 720 },
]) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test('one click shows the answer and its whole waterfall beside the controls, without a scroll', async ({
      page,
      demo,
    }) => {
      expect(await page.evaluate(() => window.scrollY), 'the page starts at its top').toBe(0);
      const sent = await clickGetItem(demo);
      await expect(demo.status).toHaveText('200');
      await expect(demo.status).toBeInViewport({ ratio: 1 });
      const waterfall = await demo.drawnWaterfall(sent.traceId);
      await expect(waterfall).toHaveAttribute('data-complete', 'true');
      await expect(waterfall).toBeInViewport();
      // Every row of the six-span trace is on screen, not only the waterfall's heading.
      await expect(demo.waterfallRows).toHaveCount(6);
      for (const row of await demo.waterfallRows.all()) await expect(row).toBeInViewport({ ratio: 1 });
      // …and the controls did not leave: the next click is one click away too.
      await expect(page.getByTestId('item-button')).toBeInViewport({ ratio: 1 });
      expect(await page.evaluate(() => window.scrollY), 'the page did not scroll').toBe(0);

      // Down at the last control, the answer and its waterfall are still in view (sticky).
      await page.getByTestId('burst-button').scrollIntoViewIfNeeded();
      expect(await page.evaluate(() => window.scrollY), 'the page scrolled').toBeGreaterThan(0);
      await expect(demo.status).toBeInViewport({ ratio: 1 });
      await expect(demo.waterfallRows.last()).toBeInViewport({ ratio: 1 });
    });
  });
}

test.describe('at phone width', () => {
  test.use({ viewport: { width: 375, height: 667 } });

  test('after a click the page brings the result into view, its heading focused', async ({ page, demo }) => {
    const result = page.getByRole('heading', { name: 'Result', exact: true });
    await expect(result).not.toBeInViewport();
    const sent = await demo.getItem('5', 'somequery');
    await expect(demo.status).toHaveText('200');
    await expect(result).toBeInViewport();
    // The clicked button was disabled while the action ran, which dropped the focus: the result takes it.
    await expect(result).toBeFocused();
    await demo.drawnWaterfall(sent.traceId);
    await expect(result).toBeInViewport();
  });
});

test('the keyboard goes from the controls to the result, then to the waterfall', async ({ page, demo }) => {
  const sent = await demo.getItem('5', 'somequery');
  await demo.drawnWaterfall(sent.traceId);
  const result = page.getByRole('heading', { name: 'Result', exact: true });
  await expect(result).toBeFocused();
  // From the result: its link, the trace panel's link, then the first waterfall row.
  await page.keyboard.press('Tab');
  await expect(demo.jaegerLink).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(demo.traceJaegerLink).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(demo.waterfallRows.first()).toBeFocused();
  // Back from the result: the last control (the burst button), nothing in between.
  await result.focus();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByTestId('burst-button')).toBeFocused();
});

test('a focus the user moved while an action ran stays where it is', async ({ page, demo }) => {
  // A slow action (the inventory waits 1.5 s), so there is time to move on while it runs.
  // Clicked here, not with demo.slowDownstream, which returns only once the response is in.
  await page.getByTestId('slow-delay-ms').fill('1500');
  await page.getByTestId('slow-button').click();
  const itemId = page.getByTestId('item-id');
  await itemId.focus();
  await expect(page.getByRole('region', { name: 'Result' }), 'the action still runs').toHaveAttribute(
    'aria-busy',
    'true',
  );
  await expect(demo.status).toHaveText('200');
  await expect(itemId).toBeFocused();
});
