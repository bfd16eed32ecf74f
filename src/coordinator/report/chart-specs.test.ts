/** The charts' bar labels fit a phone-wide chart, and the summary names the most taken action. */
import { describe, expect, it } from 'vitest';
import { chartLabel, topAction } from './chart-specs';

describe('chart labels', () => {
  it("keep the report's number and the words that tell workshops apart, in short lines", () => {
    expect(chartLabel(0, 'WCO Sub-regional Workshop on PCA (Pacific)')).toEqual(['(1) PCA (Pacific)']);
    expect(chartLabel(2, 'WCO Regional Workshop on the Performance Measurement')).toEqual([
      '(3) Performance',
      'Measurement',
    ]);
  });

  it('stop at three lines, the third marked as cut', () => {
    const lines = chartLabel(9, 'Regional Workshop on Strategic Trade Controls Enforcement and Risk Management Today');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/…$/);
    expect(lines.every((line) => line.replace('…', '').length <= 18)).toBe(true);
  });
});

describe('top action', () => {
  it('is the most taken action, the first in questionnaire order on a tie', () => {
    const none = {
      'share-materials': 0,
      'submit-report': 0,
      'make-recommendations': 0,
      'in-house-workshop': 0,
      'operational-manuals': 0,
      other: 0,
    };
    expect(topAction({ ...none, 'in-house-workshop': 4, other: 2 })).toBe('in-house-workshop');
    expect(topAction({ ...none, 'submit-report': 3, 'operational-manuals': 3 })).toBe('submit-report');
    expect(topAction(none)).toBe('share-materials');
  });
});
