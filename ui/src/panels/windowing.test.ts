import { describe, expect, it } from 'vitest';
import { offsetOf, rowStep, sliceFor } from './windowing';

describe('windowed lists', () => {
  const heights = [10, 20, 30, 40, 50];

  it('draws the rows that meet the view, standing in for the others with their heights', () => {
    expect(sliceFor(heights, 0, 25)).toEqual({ first: 0, end: 2, before: 0, after: 120 });
    // A row that ends where the view starts is not in it; one that starts where it ends is not either.
    expect(sliceFor(heights, 30, 60)).toEqual({ first: 2, end: 3, before: 30, after: 90 });
    expect(sliceFor(heights, 35, 105)).toEqual({ first: 2, end: 5, before: 30, after: 0 });
    // Above and below the list.
    expect(sliceFor(heights, -100, -50)).toEqual({ first: 0, end: 0, before: 0, after: 150 });
    expect(sliceFor(heights, 200, 300)).toEqual({ first: 5, end: 5, before: 150, after: 0 });
    // Every row is accounted for, drawn or stood in for.
    for (let top = -20; top < 170; top += 7) {
      const slice = sliceFor(heights, top, top + 33);
      expect(slice.before + heights.slice(slice.first, slice.end).reduce((a, b) => a + b, 0) + slice.after).toBe(150);
    }
  });

  it('places a row after the rows above it', () => {
    expect(offsetOf(heights, 0)).toBe(0);
    expect(offsetOf(heights, 3)).toBe(60);
    expect(offsetOf(heights, 5)).toBe(150);
  });

  it('moves between rows with the arrows, Home and End, and stays within the list', () => {
    expect(rowStep('ArrowDown', 0, 5)).toBe(1);
    expect(rowStep('ArrowDown', 4, 5)).toBe(4);
    expect(rowStep('ArrowUp', 0, 5)).toBe(0);
    expect(rowStep('ArrowUp', 3, 5)).toBe(2);
    expect(rowStep('Home', 3, 5)).toBe(0);
    expect(rowStep('End', 1, 5)).toBe(4);
    expect(rowStep('Enter', 1, 5)).toBeNull();
    expect(rowStep('ArrowDown', 0, 0)).toBeNull();
  });
});
