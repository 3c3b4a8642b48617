import { describe, expect, it } from 'vitest';
import { missedParallelism } from '../../harness/metrics/missed-parallelism.js';
import { call, diamond, fanOut, turn } from './synthetic-sessions.js';

describe('missedParallelism', () => {
  it('counts 3 missed calls when a 4-way fan-out is called one at a time', () => {
    const turns = [
      turn(1, [call('a', 'lookup', 'n1')]),
      turn(2, [call('b', 'lookup', 'n2')]),
      turn(3, [call('c', 'lookup', 'n3')]),
      turn(4, [call('d', 'lookup', 'n4')]),
      turn(5, []),
    ];
    const missed = missedParallelism(turns, fanOut(4));
    expect(missed.map((m) => [m.node, m.turn, m.earliestTurn])).toEqual([
      ['n2', 2, 1],
      ['n3', 3, 1],
      ['n4', 4, 1],
    ]);
  });

  it('finds nothing missed when the fan-out goes in one batch', () => {
    const turns = [turn(1, ['n1', 'n2', 'n3', 'n4'].map((n) => call(n, 'lookup', n))), turn(2, [])];
    expect(missedParallelism(turns, fanOut(4))).toEqual([]);
  });

  it('on a diamond run sequentially, only the second middle call is late', () => {
    // trip (1) -> weather (2) -> hotel (3) -> total (4): hotel was ready in turn 2.
    const turns = [
      turn(1, [call('1', 'get_trip', 'trip')]),
      turn(2, [call('2', 'weather', 'weather')]),
      turn(3, [call('3', 'hotel', 'hotel')]),
      turn(4, [call('4', 'total_cost', 'total')]),
      turn(5, []),
    ];
    expect(missedParallelism(turns, diamond).map((m) => `${m.node}@${m.turn}<-${m.earliestTurn}`)).toEqual(['hotel@3<-2']);
  });

  it('ignores unmatched calls, turns with no calls, and calls whose needs failed', () => {
    const turns = [
      turn(1, []), // e.g. a planning turn with tools disabled
      turn(2, [call('1', 'get_trip', 'trip', { isError: true }), call('x', 'mystery', null)]),
      turn(3, [call('2', 'get_trip', 'trip'), call('y', 'mystery', null)]),
      turn(4, [call('3', 'weather', 'weather'), call('4', 'hotel', 'hotel')]),
      turn(5, [call('5', 'total_cost', 'total')]),
      turn(6, []),
    ];
    // trip errored in turn 2 and succeeded in turn 3, so nothing could go earlier.
    expect(missedParallelism(turns, diamond)).toEqual([]);
  });
});

describe('missedParallelism with calls the harness made between turns', () => {
  it('counts a chained call as available from the turn it came before', () => {
    // The harness fetched `trip` before turn 1; weather in turn 1, hotel in turn 2: hotel is late by one.
    const turns = [turn(1, [call('2', 'weather', 'weather')]), turn(2, [call('3', 'hotel', 'hotel')]), turn(3, [call('4', 'total_cost', 'total')]), turn(4, [])];
    const harness = [{ node: 'trip', isError: false, beforeTurn: 1 }];
    expect(missedParallelism(turns, diamond, harness).map((m) => `${m.node}@${m.turn}<-${m.earliestTurn}`)).toEqual(['hotel@2<-1']);
  });
});
