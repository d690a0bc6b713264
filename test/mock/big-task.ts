// The largest task the contract allows: 200,000 callees with the script values a collections agent
// needs, about 25 MB of JSON (above Prism's 10 MB limit), like the vendor's own example scaled up.
export function bigTask(taskName: string, count = 200_000, calleeNumber = (i: number) => String(460000000000 + i)) {
  return {
    appId: '2Xql9RBI',
    taskName,
    agentId: 41,
    maxRingingTime: 60,
    numberInfoList: Array.from({ length: count }, (_, i) => ({
      calleeNumber: calleeNumber(i),
      callInformation: { name: `Customer ${i}`, borrow_total_money: '5000', due_date: '2026-02-02' },
    })),
  };
}
