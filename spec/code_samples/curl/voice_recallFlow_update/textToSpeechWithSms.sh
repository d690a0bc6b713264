# Sends the request example "Text-to-speech with a
# hang-up SMS" (textToSpeechWithSms).
# Two attempts spoken by text-to-speech; after
# hang-up an SMS goes out when the callee presses 1
# and 60 seconds after a successful call.
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

# keyId 299 is the vendor's example task, known
# to the mock; use the keyId your send returned.
curl -sS --fail-with-body -X POST \
  "$BASE_URL/voice/recallFlow/update" \
  -H 'Content-Type: application/json' \
  -H "Api-Key: $API_KEY" \
  -H "Timestamp: $TS" \
  -H "Sign: $SIGN" \
  -d '{
  "keyId": 299,
  "recallType": 1,
  "recallInterval": 60,
  "recallNum": 2,
  "nodeList": [
    {
      "source": 3,
      "text": "Hello, this is a reminder that your parcel is waiting.",
      "lan": "EN",
      "speakingRate": 1,
      "ssmlGender": 2,
      "hangUpSms": 1,
      "smsContent": "Pick up your parcel with code ${text1}.",
      "senderId": "PARCEL",
      "feedbackPush": 1,
      "feedbackValue": "1",
      "successPush": 1,
      "successPushTime": 60,
      "failedPush": 0,
      "ringPush": 0,
      "toSeat": 0
    },
    {
      "source": 3,
      "text": "Second reminder: your parcel is waiting.",
      "lan": "EN",
      "hangUpSms": 1,
      "smsContent": "Your parcel is waiting.",
      "failedPush": 1,
      "toSeat": 0
    }
  ]
}'
# Answer (always HTTP 200):
# {"code":0,"msg":"success"}; a negative code
# is a refusal.
