# Calls the local mock (npm start) with the vendor's test credentials.
# For production: BASE_URL=https://api.itniotech.com and your own API_KEY / API_SECRET.
BASE_URL="${BASE_URL:-http://127.0.0.1:4010}"
API_KEY="${API_KEY:-bDqJFiq9}"
API_SECRET="${API_SECRET:-7bz1lzh9}"

# Sign = md5(apiKey + apiSecret + timestamp), lowercase hex; the timestamp is Unix seconds.
TS=$(date +%s)
SIGN=$(printf '%s' "$API_KEY$API_SECRET$TS" | md5sum | cut -d' ' -f1)

# keyId 299 is the task of the vendor's example, which the mock knows; use the keyId your send returned.
# source 3 = text-to-speech (needs text and lan); hangUpSms 1 needs smsContent and a trigger
# (here failedPush: SMS when the call fails); toSeat 0 = no transfer.
curl -sS --fail-with-body -X POST "$BASE_URL/voice/recallFlow/update" \
  -H 'Content-Type: application/json' \
  -H "Api-Key: $API_KEY" \
  -H "Timestamp: $TS" \
  -H "Sign: $SIGN" \
  -d '{
    "keyId": 299,
    "recallType": 1,
    "recallInterval": 60,
    "recallNum": 1,
    "nodeList": [
      {
        "source": 3,
        "text": "Hello, this is a reminder that your parcel is waiting.",
        "lan": "EN",
        "hangUpSms": 1,
        "smsContent": "Your parcel is waiting.",
        "failedPush": 1,
        "toSeat": 0
      }
    ]
  }'
# Answer (always HTTP 200): {"code":0,"msg":"success"}; a negative code is a refusal.
