/**
 * Charts by uPlot: 52 KB minified (23 KB gzipped, measured, in the studio's script only), drawn on a
 * canvas, fast with thousands of points, and no dependencies — the smallest of the kept charting
 * libraries (Chart.js is about four times its size). A canvas says nothing to a screen reader, so
 * each chart is a labelled image whose numbers are in the table that follows it (the text
 * alternative), and the chart is sized and coloured from the page (both colour schemes).
 */
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { h } from '../dom.ts'

const colour = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim()

/** A bar chart of `values`, one per label, as a figure described by the table after it. */
export function barChart(title: string, labels: string[], values: number[]) {
  const figure = h('figure', {
    class: 'chart',
    role: 'img',
    'aria-label': `${title}: a bar chart of the numbers in the table below`,
  })
  const main = document.getElementById('main')
  const width = Math.max(240, Math.min(720, (main?.clientWidth ?? 720) - 32))
  const text = colour('--text')
  const grid = colour('--border')
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } }
  const plot = new uPlot(
    {
      width,
      height: 200,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.5, labels.length - 0.5] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
      },
      axes: [
        {
          ...axis,
          splits: () => labels.map((_, i) => i),
          // Every label when they fit, else every few.
          values: (_u, splits) => {
            const step = Math.ceil(labels.length / Math.max(1, Math.floor(width / 70)))
            return splits.map((i) => (i % step === 0 ? (labels[i] ?? '') : ''))
          },
        },
        // Counts: whole numbers only, with room for five digits.
        {
          ...axis,
          size: 56,
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 50_000, 100_000],
        },
      ],
      series: [
        {},
        {
          label: title,
          stroke: colour('--accent'),
          fill: colour('--accent'),
          paths: uPlot.paths.bars?.({ size: [0.7, 48] }),
          points: { show: false },
        },
      ],
    },
    [labels.map((_, i) => i), values],
    figure,
  )
  // Redrawn to its box's width: a phone turned, a window narrowed.
  new ResizeObserver(([entry]) => {
    const fits = Math.max(240, Math.floor(entry?.contentRect.width ?? width))
    if (fits !== plot.width) plot.setSize({ width: fits, height: 200 })
  }).observe(figure)
  return figure
}
