# Sends the request example "The vendor's own
# example" (vendorExample).
# The request on the vendor's reference page,
# unchanged: string agentIds in the recall nodes and
# an undocumented top-level calloutRate.
#
# The local mock (npm start) and the vendor's test
# credentials. In production, set API_KEY and
# API_SECRET to yours and BASE_URL to
# https://api.itniotech.com
BASE_URL="${BASE_URL:-http://127.0.0.1:4010}"
API_KEY="${API_KEY:-bDqJFiq9}"
API_SECRET="${API_SECRET:-7bz1lzh9}"

# Sign = md5(apiKey + apiSecret + timestamp) in
# lowercase hex; the timestamp is Unix seconds.
TS=$(date +%s)
SIGN=$(printf '%s' "$API_KEY$API_SECRET$TS" |
  md5sum | cut -d' ' -f1)

# taskName gets the time as a suffix: a name
# used before is refused with -41.
curl -sS --fail-with-body -X POST \
  "$BASE_URL/voice/group/call/send/agent" \
  -H 'Content-Type: application/json' \
  -H "Api-Key: $API_KEY" \
  -H "Timestamp: $TS" \
  -H "Sign: $SIGN" \
  -d '{
  "appId": "2Xql9RBI",
  "taskName": "I want to test Agent API-16 '"$TS"'",
  "displayNum": "1008122211",
  "maxCalls": 300,
  "maxRingingTime": 60,
  "agentId": 41,
  "enableRecording": 1,
  "calloutRate": 1,
  "allowSendTime": [
    { "strTime": "18:28", "endTime": "19:28" }
  ],
  "numberInfoList": [
    {
      "calleeNumber": "463200000007",
      "callInformation": {
        "name": "Name",
        "borrow_total_money": "5000",
        "due_date": "2026-02-02"
      }
    }
  ],
  "recallFlow": {
    "recallType": 3,
    "recallInterval": 1,
    "recallNum": 5,
    "nodeList": [
      { "agentId": "41" },
      { "agentId": "41" },
      { "agentId": "41" },
      { "agentId": "41" },
      { "agentId": "41" }
    ],
    "recallIntent": ["99998", "99999"]
  }
}'
# Answer (always HTTP 200):
# {"code":0,"msg":"success","data":<keyId>};
# a negative code is a refusal.
