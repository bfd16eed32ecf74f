/**
 * The checker is only worth its clean verdicts if it catches what it claims
 * to: a consistent history passes, and each planted fault (a lost write, a
 * mutation applied twice, a replay that answers differently, a lastMid that
 * goes back, a device that did not converge or holds another participant's
 * record) is reported.
 */
import { describe, expect, it } from 'vitest';
import { checkHistory, History, type DeviceState, type ServerState } from './history';

const P = '11111111-1111-4111-8111-111111111111';
const Q = '22222222-2222-4222-8222-222222222222';
const R1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const R2 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const W = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';

const base = { participantId: P, workshopId: W, kind: 'other', date: '2022-07-01', audience: '', channel: null };

/** Device A creates R1 and edits it; device B (same participant) edits it too; A creates and deletes R2. */
function scenario() {
  const h = new History();
  h.invoke({
    device: 'A',
    participant: P,
    mid: 1,
    op: 'create',
    recordId: R1,
    fields: { ...base, description: 'one' },
  });
  h.invoke({ device: 'A', participant: P, mid: 2, op: 'patch', recordId: R1, fields: { description: 'two' } });
  h.invoke({ device: 'A', participant: P, mid: 3, op: 'create', recordId: R2, fields: { ...base, description: 'r2' } });
  h.invoke({ device: 'B', participant: P, mid: 1, op: 'patch', recordId: R1, fields: { audience: 'PCA unit' } });
  h.invoke({ device: 'A', participant: P, mid: 4, op: 'delete', recordId: R2, fields: null });
  h.send('A', [1, 2]);
  h.send('A', [1, 2, 3]);
  h.send('B', [1]);
  h.send('A', [4]);
  h.acknowledge('A', {
    lastMid: 3,
    gap: false,
    results: [
      { mid: 1, status: 'applied', version: 1 },
      { mid: 2, status: 'applied', version: 2 },
      { mid: 3, status: 'applied', version: 3 },
    ],
  });
  h.acknowledge('B', { lastMid: 1, gap: false, results: [{ mid: 1, status: 'applied', version: 4 }] });
  h.acknowledge('A', { lastMid: 4, gap: false, results: [{ mid: 4, status: 'applied', version: 5 }] });
  const server: ServerState = {
    records: [
      {
        id: R1,
        collection: 'followUpActions',
        owner: P,
        data: { ...base, id: R1, description: 'two', audience: 'PCA unit' },
        deleted: false,
      },
      { id: R2, collection: 'followUpActions', owner: P, data: { ...base, id: R2, description: 'r2' }, deleted: true },
    ],
    devices: [
      { id: 'A', participantId: P, lastMid: 4 },
      { id: 'B', participantId: P, lastMid: 1 },
    ],
    results: [
      { device: 'A', mid: 1, result: { mid: 1, status: 'applied', version: 1 } },
      { device: 'A', mid: 2, result: { mid: 2, status: 'applied', version: 2 } },
      { device: 'A', mid: 3, result: { mid: 3, status: 'applied', version: 3 } },
      { device: 'A', mid: 4, result: { mid: 4, status: 'applied', version: 5 } },
      { device: 'B', mid: 1, result: { mid: 1, status: 'applied', version: 4 } },
    ],
    scopeSeq: { [`p:${P}`]: 5 },
  };
  const local = (id: string, description: string, audience: string, deleted: boolean) => ({
    id,
    participantId: P,
    data: { ...base, id, description, audience },
    deleted,
  });
  const devices: DeviceState[] = [
    {
      device: 'A',
      participant: P,
      outbox: 0,
      records: [local(R1, 'two', 'PCA unit', false), local(R2, 'r2', '', true)],
    },
    { device: 'B', participant: P, outbox: 0, records: [local(R1, 'two', 'PCA unit', false)] },
  ];
  return { h, server, devices };
}

describe('history checker', () => {
  it('passes a consistent history', () => {
    const { h, server, devices } = scenario();
    const report = checkHistory(h, server, devices);
    expect(report.violations).toEqual([]);
    expect(report.stats).toMatchObject({
      invocations: 5,
      applied: 5,
      records: 2,
      deletedRecords: 1,
      resentMutations: 2,
    });
  });

  it('reports an acknowledged write the server lost', () => {
    const { h, server, devices } = scenario();
    server.records[0]!.data.description = 'one';
    devices[0]!.records[0]!.data.description = 'one';
    devices[1]!.records[0]!.data.description = 'one';
    expect(checkHistory(h, server, devices).violations.join('\n')).toMatch(
      /description = "one", last acknowledged write was "two"/,
    );
  });

  it('reports an acknowledged create missing from the server', () => {
    const { h, server, devices } = scenario();
    server.records.splice(1, 1);
    expect(checkHistory(h, server, devices).violations.join('\n')).toMatch(
      /acknowledged as created but is not on the server/,
    );
  });

  it('reports a mutation applied twice (the scope counter moved more than the results say)', () => {
    const { h, server, devices } = scenario();
    server.scopeSeq[`p:${P}`] = 6;
    expect(checkHistory(h, server, devices).violations.join('\n')).toMatch(
      /scope counter at 6 but results report 5 writes/,
    );
  });

  it('reports a replay that answers differently', () => {
    const { h, server, devices } = scenario();
    h.acknowledge('A', { lastMid: 4, gap: false, results: [{ mid: 2, status: 'applied', version: 9 }] });
    expect(checkHistory(h, server, devices).violations.join('\n')).toMatch(/mid 2: answered/);
  });

  it('reports an acknowledged lastMid that goes back, and a server behind it', () => {
    const { h, server, devices } = scenario();
    h.acknowledge('A', { lastMid: 2, gap: false, results: [] });
    server.devices[0]!.lastMid = 3;
    const text = checkHistory(h, server, devices).violations.join('\n');
    expect(text).toMatch(/went back from 4 to 2/);
    expect(text).toMatch(/server lastMid 3 below the acknowledged 4/);
  });

  it('reports a gap answer and a hole in the mids', () => {
    const { h, server, devices } = scenario();
    h.invoke({ device: 'B', participant: P, mid: 3, op: 'delete', recordId: R1, fields: null });
    h.acknowledge('B', { lastMid: 1, gap: true, results: [] });
    const text = checkHistory(h, server, devices).violations.join('\n');
    expect(text).toMatch(/mids are not 1..n/);
    expect(text).toMatch(/gap answer/);
  });

  it('reports a device that did not converge, a record the server lacks, and a queue left behind', () => {
    const { h, server, devices } = scenario();
    devices[1]!.records = [];
    devices[1]!.outbox = 2;
    devices[0]!.records.push({ id: W, participantId: P, data: {}, deleted: false });
    const text = checkHistory(h, server, devices).violations.join('\n');
    expect(text).toMatch(/device B is missing record/);
    expect(text).toMatch(/still has 2 queued mutations/);
    expect(text).toMatch(/shows record .* the server does not have/);
  });

  it("reports a device holding another participant's record", () => {
    const { h, server, devices } = scenario();
    devices[1]!.records.push({ id: R2, participantId: Q, data: {}, deleted: true });
    expect(checkHistory(h, server, devices).violations.join('\n')).toMatch(/holds record .* of participant 2222/);
  });

  it('reports a stored result that differs from the one the device got', () => {
    const { h, server, devices } = scenario();
    server.results[4] = { device: 'B', mid: 1, result: { mid: 1, status: 'rejected', code: 'deleted', message: 'x' } };
    expect(checkHistory(h, server, devices).violations.join('\n')).toMatch(/device B mid 1: got .* server stored/);
  });
});
